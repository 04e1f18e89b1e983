// Fault injection for tests: see README.md (POST /sim/faults) and spec.ts for what each fault does.
export { FaultController, InjectedCrash, type FaultControl, type FaultView } from './controller'
export { faultyInvoker, faultyPoster, kindOfEvent, kindOfXml } from './callbacks'
export { apiV2Refusal, applyGatewayFault, cloudPayRefusal, API_OF_V2_PATH, type AnswerEnv } from './gateway'
export { faultsEndpoint, FAULTS_PATH } from './http'
export * from './spec'
