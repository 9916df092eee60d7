// The loopback Athena pager as a process of its own: `node out/test/helpers/athenaPagerServer.js MOTO_ENDPOINT`.
// Tells its parent the port over IPC. See athenaPager.ts.
import { createPagerServer } from './athenaPager';

const { server } = createPagerServer(process.argv[2]);
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
process.on('disconnect', () => process.exit(0));
