#!/usr/bin/env node
// Runs the README's "Quick start" commands as written, so the README and reality cannot drift
// apart: every ```sh block of that section, line by line (a trailing backslash continues a line).
// - `npm ci` and `npm test` are skipped: .ci/run runs them itself, before and after this.
// - `npx reelkit mock …` keeps running: it is started in the background, and the next command
//   runs once every control URL it prints answers /__reelkit/health.
// - a comment line right after a command that shows JSON (`# {…}`) is the promised answer: the
//   real answer must have the same top-level keys, and the same values where the README shows
//   one (`…` stands for anything).
// Every other command must exit 0. Usage: node .ci/readme-smoke.mjs [README.md]
/* global console, fetch */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const readme = readFileSync(process.argv[2] ?? 'README.md', 'utf8');
const section = readme.split(/^## /m).find((part) => part.startsWith('Quick start\n'));
if (!section) fail('README.md has no "## Quick start" section');
const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((match) => match[1]);
if (blocks.length === 0) fail('the Quick start section has no ```sh block');

/** Commands of a block, each with the JSON its following comment promises (if any). */
function commandsOf(block) {
  const steps = [];
  let pending = '';
  for (const line of block.split('\n')) {
    const comment = line.match(/^\s*#\s?(.*)$/);
    if (comment) {
      const shown = comment[1].trim();
      const last = steps.at(-1);
      if (last && !last.expected && /^[[{]/.test(shown)) last.expected = shown;
      continue;
    }
    const text = line.replace(/\s{2,}#.*$/, '');
    if (text.endsWith('\\')) {
      pending += text.slice(0, -1) + ' ';
      continue;
    }
    const command = (pending + text).trim();
    pending = '';
    if (command) steps.push({ command });
  }
  return steps;
}

/**
 * Same top-level keys (or at least the README's, when it ends the object with `,…`), and equal
 * values wherever the README shows one without `…`.
 */
function compare(expected, actual) {
  const open = /,…\}\s*$/.test(expected);
  let promised;
  try {
    // The README abbreviates with `…` inside strings, as `{…}`/`[…]` and as `,…` for more fields.
    promised = JSON.parse(expected.replace(/([[{])…([\]}])/g, '$1$2').replace(/,…/g, ''));
  } catch {
    return `the README's answer is not JSON: ${expected}`;
  }
  let real;
  try {
    real = JSON.parse(actual);
  } catch {
    return `the answer is not JSON: ${actual.slice(0, 300)}`;
  }
  const shownKeys = Object.keys(promised).sort();
  const realKeys = Object.keys(real ?? {}).sort();
  const missing = shownKeys.filter((key) => !realKeys.includes(key));
  const extra = open ? [] : realKeys.filter((key) => !shownKeys.includes(key));
  if (missing.length > 0 || extra.length > 0) {
    return `keys ${realKeys.join(', ')}; the README shows ${shownKeys.join(', ')}${open ? ', …' : ''}`;
  }
  for (const [key, value] of Object.entries(promised)) {
    if (typeof value === 'object' || String(value).includes('…')) continue;
    if (real[key] !== value) {
      return `${key} is ${JSON.stringify(real[key])}, the README shows ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

function fail(message) {
  console.error(`readme-smoke: ${message}`);
  stopServers();
  process.exit(1);
}

const servers = [];
function stopServers() {
  for (const child of servers) {
    if (child.exitCode === null) process.kill(-child.pid, 'SIGINT');
  }
}

async function startServer(command) {
  const child = spawn('bash', ['-c', command], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  for (let waited = 0; waited < 120; waited++) {
    if (child.exitCode !== null) fail(`\`${command}\` exited with ${child.exitCode}:\n${output}`);
    const urls = [...output.matchAll(/control: (http:\/\/\S+\/__reelkit\/health)/g)].map(
      (m) => m[1],
    );
    if (urls.length > 0) {
      const answers = await Promise.all(
        urls.map((url) =>
          fetch(url).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      if (answers.every(Boolean)) {
        console.log(output.trimEnd());
        console.log(`readme-smoke: ${urls.length} mock(s) answer health`);
        return;
      }
    }
    await sleep(1000);
  }
  fail(`\`${command}\` did not answer health within 120 s:\n${output}`);
}

let ran = 0;
for (const block of blocks) {
  for (const { command, expected } of commandsOf(block)) {
    console.log(`\n$ ${command}`);
    if (/^npm (ci|test)\b/.test(command)) {
      console.log('readme-smoke: skipped here, .ci/run runs it');
      continue;
    }
    if (/\breelkit mock\b/.test(command)) {
      await startServer(command);
      ran++;
      continue;
    }
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', command], { encoding: 'utf8' });
    console.log(run.stdout.length > 2000 ? `${run.stdout.slice(0, 2000)}…` : run.stdout.trimEnd());
    if (run.status !== 0) fail(`\`${command}\` exited with ${run.status}:\n${run.stderr}`);
    if (expected) {
      const problem = compare(expected, run.stdout);
      if (problem) fail(`\`${command}\`: ${problem}`);
      console.log('readme-smoke: the answer has the shape the README shows');
    }
    ran++;
  }
}
stopServers();
if (ran === 0) fail('no command ran');
console.log(`\nreadme-smoke: ${ran} Quick start command(s) work as written`);
