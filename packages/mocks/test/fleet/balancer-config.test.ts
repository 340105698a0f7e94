/**
 * The balancer config the README shows is the one the fleet tests run (rendered for the README's
 * ports and directory), and nginx accepts it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBalancerMissing, nginxBinary, renderNginxConfig } from '../support/load-balancer.js';

const README = new URL('../../../../README.md', import.meta.url);

/** The ```nginx block of the README's "Run a shared mock fleet" section. */
async function readmeConfig(): Promise<string | undefined> {
  const readme = await readFile(README, 'utf8');
  const section = readme.split(/^### /m).find((part) => part.startsWith('Run a shared mock fleet'));
  return section && /^```nginx\n([\s\S]*?)^```/m.exec(section)?.[1];
}

const documented = {
  dir: '/tmp/reelkit-lb',
  port: 4600,
  upstreams: ['127.0.0.1:4601', '127.0.0.1:4602', '127.0.0.1:4603'],
};

describe('the fleet balancer config', () => {
  it('the README shows the config the fleet tests run', async () => {
    expect(await readmeConfig()).toBe(renderNginxConfig(documented));
  });

  it.skipIf(loadBalancerMissing)('nginx accepts it (nginx -t)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reelkit-nginx-t-'));
    try {
      const file = join(dir, 'nginx.conf');
      await writeFile(file, renderNginxConfig({ ...documented, dir }));
      const check = spawnSync(nginxBinary!, ['-t', '-p', `${dir}/`, '-c', file, '-e', 'stderr']);
      expect(check.status, check.stderr.toString()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
