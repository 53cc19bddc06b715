// Alert rules as GET /api/rules shows them: from views/alerts/*.rule files, or made on the running engine.
import { z } from 'zod';
import { definitionOriginSchema } from './views.ts';

export const ruleDescriptionSchema = definitionOriginSchema.extend({
  kind: z.string().optional(),
  indicator: z.string().optional(),
  /** `failed`: a rule made at run time that no longer loads (its indicator was removed from the files). */
  status: z.enum(['active', 'failed']),
  error: z.string().optional(),
});
export type RuleDescription = z.infer<typeof ruleDescriptionSchema>;
