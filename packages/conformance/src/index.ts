/**
 * `@reelkit/conformance`: checks any server against a router's contract, as declared once in
 * `@reelkit/spec`. `describeConformance` (vitest) lives in `@reelkit/conformance/vitest`.
 *
 * @example
 * import { httpTarget, runConformance } from '@reelkit/conformance';
 * const target = await httpTarget({ provider: 'openrouter', baseUrl: 'http://127.0.0.1:4010/api/v1' });
 * const report = await runConformance({ provider: 'openrouter', target });
 * process.exitCode = report.summary.failed > 0 ? 1 : 0;
 * @module
 */
export * from './checks/status.js';
export type { CheckFamily } from './checks/types.js';
export { SCENARIO_EXPECTATIONS } from './checks/scenarios.js';
export { DURATION_TOLERANCE_SECONDS } from './checks/lifecycle.js';
export {
  CONTROL_TOKEN_HEADER,
  ControlPlaneError,
  controlCall,
  createTargetClock,
  listScenarios,
  webhookSettings,
} from './control.js';
export type {
  ClockShortfall,
  MockWebhookSettings,
  TargetClock,
  TargetClockOptions,
  TimeMovement,
} from './control.js';
export { CLOCK_PROBE, CONTROL_PLANE_OPERATION } from './checks/clock.js';
export { asyncJobDriver, defaultPlan, drivers } from './drivers/index.js';
export type { AsyncJobDriverQuirks } from './drivers/index.js';
export type * from './drivers/types.js';
export { INVALID_API_KEY, REPORT_BODY_LIMIT, Session, toCurl } from './http.js';
export type { OutgoingRequest, Reply } from './http.js';
export { decodeMp4, describeMissingSamples, inspectMp4 } from './mp4.js';
export type { DecodeOptions, MissingSamples, Mp4Decoding, Mp4Inspection } from './mp4.js';
export type * from './report.js';
export * from './run-conformance.js';
export { SCENARIO_HEADER } from './run/jobs.js';
export * from './skip.js';
export * from './target.js';
export { startWebhookReceiver } from './webhook-receiver.js';
export type { ReceivedDelivery, WebhookReceiver } from './webhook-receiver.js';
export * from './prism.js';
export * from './reporters/index.js';
export * from './runner-contract.js';
export * from './audit.js';
