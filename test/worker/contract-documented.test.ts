import { contractSuite } from './contract-suite.ts'

// The contract suite against the simulator's "documented" shape profile (test/simulator/profiles.ts).
contractSuite('documented')
