// The differential test's second half of the seeds (see differential-suite.ts).
import { differentialSuite } from './differential-suite.ts';

differentialSuite(2);
