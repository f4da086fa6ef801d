import { contractSuite } from './contract-suite.ts'

// The contract suite against the simulator's "minimal" shape profile (test/simulator/profiles.ts).
contractSuite('minimal')
