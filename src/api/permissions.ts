import { z } from '@hono/zod-openapi';

export const PermissionDecision = z.enum(['always_allow', 'always_deny']).openapi('PermissionDecision');
export type PermissionDecision = z.infer<typeof PermissionDecision>;

export const Permission = z
  .object({
    tool: z.string().openapi({ description: 'Exposed tool name, `<extension>__<tool>`.', example: 'developer__shell' }),
    decision: PermissionDecision,
    updated_at: z.string().openapi({ format: 'date-time', description: 'When the decision was last given (answering an approval).' }),
  })
  .openapi('Permission');
export type Permission = z.infer<typeof Permission>;

export const PermissionListQuery = z.object({
  decision: PermissionDecision.optional().openapi({ description: 'Only the decisions of this kind.' }),
});

export const PermissionToolParam = z.object({
  // Exposed tool names are at most 64 characters (providers refuse longer ones); 200 leaves room.
  tool: z.string().min(1).max(200).openapi({ param: { name: 'tool', in: 'path' }, example: 'developer__shell' }),
});
