// Times libsignal's curve primitives (npm @signalapp/libsignal-client 0.103.0) the same way as SignalSharp's
// CurveBenchmarks: warm-up, then the median of several rounds. Reports per-operation time in microseconds,
// as process CPU time (user + system; other load on a shared machine inflates it less) and as wall time.
// Usage: node benchmarks/node/libsignal-primitives.mjs [iterations-per-round] [rounds]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/node/package.json'));
const { PrivateKey } = require('@signalapp/libsignal-client');

const iterations = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 7);

function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function time(name, f) {
  for (let i = 0; i < Math.max(1, iterations / 5); i++) f();
  const cpu = [];
  const wall = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMicros();
    const w0 = performance.now();
    for (let i = 0; i < iterations; i++) f();
    wall.push(((performance.now() - w0) * 1000) / iterations);
    cpu.push((cpuMicros() - t0) / iterations);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(JSON.stringify({ op: name, microseconds: Number(median(cpu).toFixed(2)), wallMicroseconds: Number(median(wall).toFixed(2)) }));
}

const alice = PrivateKey.generate();
const bob = PrivateKey.generate();
const bobPublic = bob.getPublicKey();
const alicePublic = alice.getPublicKey();
const message = new Uint8Array(64).fill(7);
const signature = alice.sign(message);

time('generate', () => PrivateKey.generate().getPublicKey());
time('agree', () => alice.agree(bobPublic));
time('sign', () => alice.sign(message));
time('verify', () => {
  if (!alicePublic.verify(message, signature)) throw new Error('verify failed');
});
