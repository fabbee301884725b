import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkAccess, parseGroupFile, type AccessProbe, type DeviceStat } from './port-access.js';

const TTY = '/dev/ttyUSB0';
const DIALOUT = 20;
const GROUPS = parseGroupFile('root:x:0:\ntty:x:5:\ndialout:x:20:old-hand\nsudo:x:27:tech\ntech:x:1000:\n');
/** crw-rw---- root dialout, as udev makes a USB serial adapter's tty. */
const ADAPTER: DeviceStat = { mode: 0o20660, uid: 0, gid: DIALOUT };

function probe(o: Partial<AccessProbe> & { file?: DeviceStat | Error } = {}): AccessProbe {
  const file = o.file ?? ADAPTER;
  return {
    stat: async () => {
      if (file instanceof Error) throw file;
      return file;
    },
    uid: 1000, gids: [1000, 27], user: 'tech', groups: async () => GROUPS, ...o,
  };
}

test('a user outside the dialout group is told to join it and log in again', async () => {
  const a = await checkAccess(TTY, probe());
  assert.is(a.accessible, false);
  assert.is(a.group, 'dialout');
  assert.is(a.problem!.code, 'E_ACCESS_GROUP');
  assert.is(a.problem!.message, '/dev/ttyUSB0 belongs to the dialout group and tech is not in it');
  assert.is(a.problem!.fix, 'sudo usermod -aG dialout $USER, then log out and in again');
});

test('in the group (this session), the owner, root or a world-writable file: accessible', async () => {
  assert.equal(await checkAccess(TTY, probe({ gids: [1000, DIALOUT] })), { accessible: true, group: 'dialout' });
  assert.is((await checkAccess(TTY, probe({ file: { ...ADAPTER, uid: 1000, mode: 0o20600 } }))).accessible, true);
  assert.is((await checkAccess(TTY, probe({ uid: 0, gids: [0] }))).accessible, true);
  assert.is((await checkAccess(TTY, probe({ file: { ...ADAPTER, mode: 0o20666 } }))).accessible, true);
});

test('added to the group in /etc/group but not in this session: log out and in (or newgrp)', async () => {
  const a = await checkAccess(TTY, probe({ user: 'old-hand' }));
  assert.is(a.problem!.code, 'E_ACCESS_RELOGIN');
  assert.match(a.problem!.fix, /log out and in again \(or run 'newgrp dialout'/);
});

test('the uucp group (Arch) is named as it is, and a file no group may open asks for a udev rule', async () => {
  const arch = await checkAccess(TTY, probe({ file: { ...ADAPTER, gid: 987 }, groups: async () => parseGroupFile('uucp:x:987:\n') }));
  assert.is(arch.problem!.fix, 'sudo usermod -aG uucp $USER, then log out and in again');
  const locked = await checkAccess(TTY, probe({ file: { ...ADAPTER, mode: 0o20600 } }));
  assert.is(locked.problem!.code, 'E_ACCESS_MODE');
  assert.match(locked.problem!.message, /mode 600/);
  assert.match(locked.problem!.fix, /udev rule/);
});

test('a vanished device file is not accessible; no Unix ids or an unreadable file: not judged', async () => {
  const gone = await checkAccess(TTY, probe({ file: Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }) }));
  assert.is(gone.problem!.code, 'E_ACCESS_MISSING');
  assert.equal(await checkAccess('COM3', probe({ uid: undefined })), { accessible: undefined });
  assert.equal(await checkAccess(TTY, probe({ file: Object.assign(new Error('EACCES'), { code: 'EACCES' }) })), { accessible: undefined });
});

test('the group file parser skips blank and malformed lines', () => {
  assert.equal(parseGroupFile('a:x:1:u,v\n\n# comment\nbad\nb:x:two:\nc:x:3:'), [
    { name: 'a', gid: 1, members: ['u', 'v'] }, { name: 'c', gid: 3, members: [] },
  ]);
});

test.run();
