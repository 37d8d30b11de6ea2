import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceRoutes } from '../e2e/harness';

/** The e2e harness's stand-in for Service routing: a CONNECT proxy from Service host names to loopback ports. */
let routes: ServiceRoutes;
let echo: net.Server;
let echoPort: number;
beforeAll(async () => {
  routes = await ServiceRoutes.start(mkdtempSync(path.join(os.tmpdir(), 'kc-routes-')));
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as net.AddressInfo).port;
  routes.set('karmada-webhook', 'karmada-system', 443, echoPort);
});
afterAll(() => {
  routes.close();
  echo.close();
});

function connect(target: string): Promise<{ status: string; echoed?: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(routes.port, '127.0.0.1');
    let buf = '';
    let established = false;
    s.on('data', (d) => {
      buf += d.toString();
      if (!established && buf.includes('\r\n\r\n')) {
        const status = buf.split('\r\n')[0];
        buf = buf.slice(buf.indexOf('\r\n\r\n') + 4);
        if (!status.includes(' 200 ')) return resolve({ status });
        established = true;
        s.write('ping');
      }
      if (established && buf === 'ping') {
        s.destroy();
        resolve({ status: 'HTTP/1.1 200 Connection established', echoed: buf });
      }
    });
    s.on('error', reject);
    s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  });
}

describe('ServiceRoutes', () => {
  it('tunnels <svc>.<ns>.svc and <svc>.<ns>.svc.<domain> on the Service port to the loopback port', async () => {
    expect(await connect('karmada-webhook.karmada-system.svc:443')).toEqual({ status: 'HTTP/1.1 200 Connection established', echoed: 'ping' });
    expect(await connect('karmada-webhook.karmada-system.svc.cluster.local:443')).toMatchObject({ echoed: 'ping' });
  });
  it('refuses other ports, namespaces and names with 502', async () => {
    for (const t of ['karmada-webhook.karmada-system.svc:8443', 'karmada-webhook.other.svc:443', 'karmada-webhook:443', '10.0.0.1:443']) expect((await connect(t)).status).toContain('502');
  });
  it('gives the environment that sends HTTPS through it and keeps loopback direct', () => {
    expect(routes.env()).toMatchObject({ HTTPS_PROXY: `http://127.0.0.1:${routes.port}`, NO_PROXY: '127.0.0.1,localhost' });
  });
});
