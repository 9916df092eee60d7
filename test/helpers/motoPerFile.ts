// One moto_server for a test file: started before its tests, reset to empty before each test, stopped after.
// Call it at the top level of the file; the object it returns reads the running server.
import { after, before, beforeEach } from 'node:test';
import { startMoto, type Moto } from './moto';

export function motoPerFile(): Moto {
  let moto: Moto | undefined;
  const running = (): Moto => {
    if (!moto) throw new Error('moto_server is not running: motoPerFile() starts it in before()');
    return moto;
  };
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto?.stop();
  });
  beforeEach(() => running().reset());
  return {
    get endpoint() { return running().endpoint; },
    get port() { return running().port; },
    reset: () => running().reset(),
    stop: () => running().stop(),
    clientConfig: (region?: string) => running().clientConfig(region),
  };
}
