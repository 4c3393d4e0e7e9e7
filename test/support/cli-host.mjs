/**
 * Runs the built CLI's commands one after another in this one process, for a test suite that
 * runs dozens of them: a fresh `node dist/src/cli/main.js` spends about a second of a loaded
 * core loading its modules before it does anything. Each command is the real bin run from its
 * start: a fresh instance of main.js, its own argv and environment, its stdout and stderr
 * collected, and its exit code taken from `process.exit` or `process.exitCode` as node would.
 * What only a process of its own shows (that the command lets node exit) is covered by the
 * tests that use `cliProcess` (test/support/cli.ts).
 *
 * Started by test/support/cli.ts with the bin's path; requests and results go over IPC.
 */
import { pathToFileURL } from 'node:url';

const bin = process.argv[2];
if (!bin || !process.send) throw new Error('usage: node cli-host.mjs BIN, with an IPC channel');

class Exit extends Error {
  constructor(code) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

const baseEnv = { ...process.env };
const output = { stdout: '', stderr: '' };

function capture(name) {
  process[name].write = (chunk, encoding, callback) => {
    output[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
}
capture('stdout');
capture('stderr');
// Commander's exitOverride and the commands end a process this way: here it ends the command.
process.exit = (code) => {
  throw new Exit(code ?? process.exitCode ?? 0);
};

let runs = 0;

async function run({ args, env }) {
  for (const key of Object.keys(process.env)) if (!(key in baseEnv)) delete process.env[key];
  Object.assign(process.env, baseEnv, env);
  process.argv = [process.execPath, bin, ...args];
  process.exitCode = undefined;
  output.stdout = '';
  output.stderr = '';
  let code;
  try {
    runs += 1;
    await import(`${pathToFileURL(bin).href}?run=${runs}`);
  } catch (error) {
    if (error instanceof Exit) code = error.code;
    else {
      // What node prints for an uncaught error, and its exit code.
      output.stderr += `${error instanceof Error ? error.stack : String(error)}\n`;
      code = 1;
    }
  }
  const result = { code: code ?? process.exitCode ?? 0, stdout: output.stdout, stderr: output.stderr };
  process.exitCode = undefined;
  return result;
}

// One command at a time, in the order they came.
let queue = Promise.resolve();
process.on('message', (request) => {
  queue = queue.then(async () => {
    process.send({ id: request.id, ...(await run(request)) });
  });
});
