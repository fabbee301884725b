/**
 * Whether this user can open a serial device file, and if not what to do. On Linux a USB serial
 * adapter's tty belongs to root and the `dialout` group (`uucp` on Arch, `tty` on some), mode
 * 0660: a user outside that group gets "Permission denied". A user just added to the group keeps
 * the old groups until logging in again, so both the group file and this session's groups count.
 * Everything is read through an injected probe so the tests run on fakes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';

export interface DeviceStat {
  mode: number;
  uid: number;
  gid: number;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface AccessProbe {
  stat(path: string): Promise<DeviceStat>;
  /** Undefined where the platform has no Unix ids (Windows): access is then not judged. */
  uid: number | undefined;
  /** This session's groups (process.getgroups(), as `id -G` prints). */
  gids: number[];
  user: string;
  /** /etc/group: names for gids, and who was added to a group since logging in. */
  groups(): Promise<GroupEntry[]>;
}

export type AccessProblem =
  | 'E_ACCESS_GROUP' // the file's group may open it and the user is not in it
  | 'E_ACCESS_RELOGIN' // the user was added to the group, this session predates it
  | 'E_ACCESS_MODE' // no group may open it (a udev rule is missing)
  | 'E_ACCESS_MISSING'; // the device file is gone

export interface PortAccess {
  /** undefined: could not be judged (no Unix ids, or the file could not be examined). */
  accessible: boolean | undefined;
  /** The device file's group, by name when /etc/group has it. */
  group?: string;
  problem?: { code: AccessProblem; message: string; fix: string };
}

export function parseGroupFile(text: string): GroupEntry[] {
  return text.split('\n').flatMap((line) => {
    const [name, , gid, members] = line.trim().split(':');
    if (!name || gid === undefined || !/^\d+$/.test(gid)) return [];
    return [{ name, gid: Number(gid), members: (members ?? '').split(',').filter((m) => m !== '') }];
  });
}

export function systemProbe(): AccessProbe {
  return {
    stat: (p) => fs.stat(p),
    uid: process.getuid?.(),
    gids: process.getgroups?.() ?? [],
    user: os.userInfo().username,
    groups: async () => {
      try {
        return parseGroupFile(await fs.readFile('/etc/group', 'utf8'));
      } catch {
        return [];
      }
    },
  };
}

const RW = 0o6;

/** The read/write bits that apply to this user: owner's, else group's, else everyone's. */
function grants(st: DeviceStat, uid: number, gids: number[]): boolean {
  if (st.uid === uid) return ((st.mode >> 6) & RW) === RW;
  if (gids.includes(st.gid)) return ((st.mode >> 3) & RW) === RW;
  return (st.mode & RW) === RW;
}

export async function checkAccess(path: string, probe: AccessProbe): Promise<PortAccess> {
  if (probe.uid === undefined) return { accessible: undefined };
  let st: DeviceStat;
  try {
    st = await probe.stat(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') {
      return { accessible: false, problem: { code: 'E_ACCESS_MISSING', message: `${path} does not exist`, fix: 'plug the adapter in again, or pick another port' } };
    }
    return { accessible: undefined };
  }
  const groups = await probe.groups();
  const entry = groups.find((g) => g.gid === st.gid);
  const group = entry?.name ?? String(st.gid);
  if (probe.uid === 0 || grants(st, probe.uid, probe.gids)) return { accessible: true, group };
  const groupMayOpen = ((st.mode >> 3) & RW) === RW;
  if (!groupMayOpen) {
    return {
      accessible: false, group,
      problem: {
        code: 'E_ACCESS_MODE', message: `${path} is mode ${(st.mode & 0o777).toString(8)}: not even its group (${group}) may open it`,
        fix: `a udev rule should give it to the dialout group (MODE="0660", GROUP="dialout"), or run as root`,
      },
    };
  }
  if (entry?.members.includes(probe.user)) {
    return {
      accessible: false, group,
      problem: {
        code: 'E_ACCESS_RELOGIN', message: `${probe.user} was added to the ${group} group after this login session started`,
        fix: `log out and in again (or run 'newgrp ${group}' in this shell)`,
      },
    };
  }
  return {
    accessible: false, group,
    problem: {
      code: 'E_ACCESS_GROUP', message: `${path} belongs to the ${group} group and ${probe.user} is not in it`,
      fix: `sudo usermod -aG ${group} $USER, then log out and in again`,
    },
  };
}
