// The differential test's first half of the seeds (see differential-suite.ts).
import { differentialSuite } from './differential-suite.ts';

differentialSuite(1);
