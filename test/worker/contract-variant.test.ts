import { contractSuite } from './contract-suite.ts'

// The contract suite against the simulator's "variant" shape profile (test/simulator/profiles.ts).
contractSuite('variant')
