/**
 * Simulated GPU hosts: each is a network namespace joined to this machine by a veth pair, so
 * its worker reaches Temporal and PostgreSQL over its own address, and its link can be cut.
 * Needs root and iproute2; `netnsAvailable` says why not where they are missing.
 */
import { execFileSync } from 'node:child_process';

const ip = (...args: string[]) =>
  execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).toString();

export interface Host {
  name: string;
  /** The namespace's own address. */
  address: string;
  /** This machine's address as the namespace sees it (where Temporal and the DB are). */
  gateway: string;
  cut(): void;
  restore(): void;
}

/** Null when namespaces can be made here; otherwise the reason they cannot. */
export function netnsAvailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (ip netns)';
  const probe = `rt-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (err) {
    return `ip netns does not work here: ${(err as Error).message.split('\n')[0]}`;
  }
}

/** Creates `count` hosts on 10.<subnet>.<i>.0/24; `destroy` removes everything it made. */
export function createHosts(count: number, subnet = 100 + (process.pid % 100)) {
  const hosts: Host[] = [];
  const made: (() => void)[] = [];
  const tag = (process.pid % 10_000).toString(36);
  try {
    for (let i = 1; i <= count; i++) {
      const ns = `retune-h${i}-${tag}`;
      const outside = `rh${i}${tag}a`;
      const inside = `rh${i}${tag}b`;
      const gateway = `10.${subnet}.${i}.1`;
      const address = `10.${subnet}.${i}.2`;
      ip('netns', 'add', ns);
      made.push(() => ip('netns', 'del', ns));
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      made.push(() => ip('link', 'del', outside));
      ip('link', 'set', inside, 'netns', ns);
      ip('addr', 'add', `${gateway}/24`, 'dev', outside);
      ip('link', 'set', outside, 'up');
      ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${address}/24`, 'dev', inside);
      ip('netns', 'exec', ns, 'ip', 'link', 'set', inside, 'up');
      ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
      hosts.push({
        name: ns,
        address,
        gateway,
        // Link down on our side: the host's packets go nowhere, as with a pulled cable.
        cut: () => ip('link', 'set', outside, 'down'),
        restore: () => ip('link', 'set', outside, 'up'),
      });
    }
  } catch (err) {
    destroy();
    throw err;
  }
  function destroy() {
    for (const undo of made.reverse()) {
      try {
        undo();
      } catch {
        /* already gone */
      }
    }
    made.length = 0;
  }
  return { hosts, destroy };
}
