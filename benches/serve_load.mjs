// `casebook serve` under load, all on 127.0.0.1 and bounded in count and time:
//   1. 5,000 GETs of a mix of the site's files from 50 clients, once on fresh connections and
//      once through a keep-alive agent (the server answers one request a connection and says
//      `Connection: close`, so the agent opens a new one each time): errors, p50, p99;
//   2. the same requests of casebook.css and cases.json one after another, fresh vs keep-alive
//      (the delayed-ACK stall of a reused connection would show here);
//   3. a normal client's latency while 300 slow sockets trickle a request head byte by byte;
//   4. the server's threads and resident memory before, during and after.
//
// Usage: node benches/serve_load.mjs KNOWLEDGE_BASE [casebook binary=target/release/casebook]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";

const [root, binary = "target/release/casebook"] = process.argv.slice(2);
if (!root) {
  console.error("usage: node benches/serve_load.mjs KNOWLEDGE_BASE [casebook binary]");
  process.exit(2);
}

const server = spawn(binary, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "pipe"] });
const address = await new Promise((resolve, reject) => {
  server.stdout.on("data", (chunk) => {
    const url = String(chunk).match(/http:\/\/[^\s]+/);
    if (url) resolve(new URL(url[0]));
  });
  server.on("exit", () => reject(new Error("casebook serve ended")));
});
const port = Number(address.port);

const proc = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  const field = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))[1]);
  return { threads: field("Threads"), rssMB: (field("VmRSS") / 1024).toFixed(1) };
};

const get = (path, agent) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ ok: response.statusCode === 200, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    request.setTimeout(10_000, () => request.destroy());
    request.on("error", () => resolve({ ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const summary = (results) => {
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  return `errors ${results.filter((r) => !r.ok).length}, p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`;
};

const PATHS = ["/", "/casebook.css", "/cases.json", "/search/", "/themes/", "/cases/"];
const load = async (agent, total = 5000, clients = 50) => {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        results.push(await get(PATHS[i % PATHS.length], agent));
      }
    }),
  );
  return results;
};

console.log("before:", proc());
const fresh = new http.Agent({ keepAlive: false, maxSockets: 50 });
const reused = new http.Agent({ keepAlive: true, maxSockets: 50 });
console.log("5,000 GETs, 50 clients, fresh connections:", summary(await load(fresh)));
console.log("5,000 GETs, 50 clients, keep-alive agent: ", summary(await load(reused)));
console.log("after the load:", proc());

for (const path of ["/casebook.css", "/cases.json"]) {
  const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const again = [];
  const apart = [];
  for (let i = 0; i < 50; i++) again.push(await get(path, one));
  for (let i = 0; i < 50; i++) apart.push(await get(path, new http.Agent({ keepAlive: false })));
  console.log(`${path} 50 times in turn: keep-alive agent ${summary(again)}; fresh ${summary(apart)}`);
}

// 300 slow sockets: each sends the start of a request head, then a byte a second.
const slow = [];
for (let i = 0; i < 300; i++) {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
  slow.push(socket);
}
const trickle = setInterval(() => slow.forEach((s) => s.writable && s.write("x")), 1000);
await new Promise((r) => setTimeout(r, 1500));
console.log("with 300 slow sockets open:", proc());
const during = [];
for (let i = 0; i < 50; i++) during.push(await get("/", fresh));
console.log("a normal client, 50 GETs of / in turn, 300 slow sockets open:", summary(during));
// The head deadline (10 s) ends them.
await new Promise((r) => setTimeout(r, 11_000));
console.log("11 s later, slow sockets refused (408) or closed:", slow.filter((s) => s.destroyed || s.readableEnded).length, "of 300;", proc());
clearInterval(trickle);
slow.forEach((s) => s.destroy());
await new Promise((r) => setTimeout(r, 1000));
console.log("after:", proc());
server.kill();
process.exit(0);
