/**
 * What happens to one Graph request once it is authenticated: route it,
 * charge the throttle, run the handler. The HTTPS server and the $batch runner
 * both come through here, so a batch item is counted, throttled and answered
 * exactly like a request of its own (learn.microsoft.com/graph/json-batching:
 * "Requests in a batch are evaluated individually against the applicable
 * throttling limits").
 *
 * With `afterCommit504Rate`, an accepted write (alone or a batch item) may be
 * answered 504 after its change was stored.
 *
 * With `refuseAdvancedQuery`, a request carrying `ConsistencyLevel: eventual`
 * is refused here, after routing and throttling, before its handler runs.
 */
import { GraphHttpError, unsupportedQuery } from './graph-error.js';
import { count, isEventual, type SimContext, type SimRequest, type SimResponse } from './request.js';
import { resolveRoute } from './router.js';
import { requestCost } from './throttle.js';
import { authorize } from './permissions.js';

export function serveGraph(req: SimRequest, ctx: SimContext): SimResponse {
  const route = resolveRoute(req, ctx);
  count(ctx.stats, route.template);
  let throttleHeaders: Record<string, string> = {};
  if (ctx.throttle) {
    try {
      throttleHeaders = ctx.throttle.charge(requestCost(req.method, req.path, new URLSearchParams(req.query)));
    } catch (error) {
      if (error instanceof GraphHttpError && error.status === 429) ctx.stats.throttled++;
      throw error;
    }
  }
  if (ctx.refuseAdvancedQuery && isEventual(req)) {
    // `refuseAdvancedQuery`: status and code as Graph's other advanced-query refusals; wording ours.
    throw unsupportedQuery('Advanced query parameters (ConsistencyLevel: eventual) are not supported for this tenant.');
  }
  if (ctx.refuseRoutes.has(route.template)) {
    // `refuseRoutes`: Graph's answer to a caller without the permission (learn.microsoft.com/graph/errors, 403).
    throw new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  authorize(req.caller, route.template, ctx.appOnlyExceptions);
  const writesBefore = ctx.stats.writes;
  const response = route.run();
  if (ctx.stats.writes > writesBefore) {
    // afterCommit504Rate: the change is stored, the answer becomes a 504.
    const lost = ctx.faults.answerLostAfterCommit();
    if (lost) {
      const write = ctx.state.writes[ctx.state.writes.length - 1];
      if (write) write.answerLost = '504';
      ctx.stats.faults++;
      ctx.stats.lostAnswers++;
      throw lost;
    }
  }
  return { ...response, headers: { ...throttleHeaders, ...response.headers } };
}
