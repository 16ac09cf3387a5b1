import { createRoute, z } from '@hono/zod-openapi';
import { Approval, ApprovalListQuery, ApprovalParams, ResolveApprovalRequest } from '../../api/approvals.js';
import { SessionIdParam } from '../../api/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const listApprovals = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/approvals',
  tags: ['approvals'],
  summary: "A session's approvals (pending ones wait for a person)",
  request: { params: SessionIdParam, query: ApprovalListQuery },
  responses: { 200: jsonContent(z.array(Approval), 'The approvals, oldest first'), ...errorResponses(404) },
});

const answerApproval = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/approvals/{approval_id}',
  tags: ['approvals'],
  summary: 'Answer an approval',
  description: '`always_allow` / `always_deny` are remembered for the tool. An unknown id is 404; one already answered (or cancelled) is 409.',
  request: { params: ApprovalParams, body: jsonBody(ResolveApprovalRequest) },
  responses: { 200: jsonContent(Approval, 'The approval, answered'), ...errorResponses(400, 404, 409, 413, 415) },
});

export function approvalRoutes(app: App, { sessions, approvals }: AppContext): void {
  app.openapi(listApprovals, async (c) => {
    const { id } = c.req.valid('param');
    await sessions.get(id);
    return c.json(await approvals.list(id, c.req.valid('query').status), 200);
  });

  app.openapi(answerApproval, async (c) => {
    const { id, approval_id } = c.req.valid('param');
    await sessions.get(id);
    const { decision, message } = c.req.valid('json');
    return c.json(await approvals.answer(id, approval_id, { decision, message: message ?? null }), 200);
  });
}
