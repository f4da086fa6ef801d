/**
 * `npm start`: the NemoVideo simulator on 127.0.0.1:8788 and the worker under workerd on
 * 127.0.0.1:8787, pointed at it, with local KV and Durable Objects kept in .wrangler/state. Waits
 * until both answer, prints their URLs and a curl example; Ctrl-C stops both. SIM_PORT /
 * WORKER_PORT change the ports; SIM_CONFIG patches the simulator's config (JSON).
 * @module
 */
import { startSimulator } from '../test/simulator/serve.ts'
import type { SimulatorConfigPatch } from '../test/simulator/index.ts'
import { killGroupsOnExit } from './lib/processes.ts'
import { startWorker } from './lib/worker.ts'

const simPort = Number(process.env.SIM_PORT ?? 8788)
const workerPort = Number(process.env.WORKER_PORT ?? 8787)
const config = process.env.SIM_CONFIG
  ? (JSON.parse(process.env.SIM_CONFIG) as SimulatorConfigPatch)
  : {}
const workerLog = '.wrangler/worker.log'

killGroupsOnExit()
const sim = await startSimulator({ port: simPort, config })
const worker = await startWorker({
  upstreamBaseUrl: sim.url,
  persistTo: '.wrangler/state',
  port: workerPort,
  logFile: workerLog,
}).catch(async (error: Error) => {
  console.error(error.message)
  await sim.stop()
  process.exit(1)
})

const stop = () => void Promise.all([worker.stop(), sim.stop()]).finally(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

console.log(`
PageReel is running locally.
  worker     ${worker.url}   (API: ${worker.url}/v1/openapi.json; log: ${workerLog})
  simulator  ${sim.url}   (NemoVideo stand-in; control API under /__sim/)

Try it:
  KEY=$(curl -s -X POST ${worker.url}/v1/installations -H 'Content-Type: application/json' \\
    -d '{"language":"en"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')
  curl -s ${worker.url}/v1/credits -H "Authorization: Bearer $KEY"
  SID=$(curl -s -X POST ${worker.url}/v1/sessions -H "Authorization: Bearer $KEY" \\
    -H 'Content-Type: application/json' -d '{"language":"en"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).sessionId')
  curl -s ${worker.url}/v1/sessions/$SID/uploads -H "Authorization: Bearer $KEY" \\
    -F files=@test/e2e/fixtures/site/img/hero-1600.jpg

Ctrl-C stops both.`)
