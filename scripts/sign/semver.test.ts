import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVersions, parseVersion } from './semver.js';
import { SignError } from './sign-error.js';

test('versions order by major, minor, patch as numbers, not as text', () => {
  assert.is(compareVersions('1.2.3', '1.2.3'), 0);
  assert.is(compareVersions('1.2.3', '1.2.4'), -1);
  assert.is(compareVersions('1.10.0', '1.9.9'), 1);
  assert.is(compareVersions('2.0.0', '10.0.0'), -1);
  assert.is(compareVersions('0.1.0', '0.0.99'), 1);
});

test('a prerelease sorts before its release, and after the release before it', () => {
  assert.is(compareVersions('1.5.0-rc.1', '1.5.0'), -1);
  assert.is(compareVersions('1.5.0', '1.5.0-rc.1'), 1);
  assert.is(compareVersions('1.5.0-rc.1', '1.4.9'), 1);
});

test('prerelease identifiers compare as semver.org says: numbers numerically, numbers before words, fewer before more', () => {
  const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 0; i < ordered.length - 1; i++) {
    assert.is(compareVersions(ordered[i]!, ordered[i + 1]!), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.is(compareVersions(ordered[i + 1]!, ordered[i]!), 1, `${ordered[i + 1]} > ${ordered[i]}`);
  }
});

test('build metadata is kept but ignored when comparing', () => {
  assert.equal(parseVersion('1.2.3+build.7').build, ['build', '7']);
  assert.is(compareVersions('1.2.3+build.7', '1.2.3+build.8'), 0);
});

test('parseVersion splits the parts, numeric prerelease identifiers as numbers', () => {
  assert.equal(parseVersion('1.5.0-rc.1'), { major: 1, minor: 5, patch: 0, prerelease: ['rc', 1], build: [], text: '1.5.0-rc.1' });
});

test('junk is refused with E_VERSION_INVALID, the value and an example of a good one', () => {
  const cases: Array<[string, string]> = [
    ['', 'is empty'], ['1.2', 'it needs all three numbers'], ['v1.2.3', "drop the leading 'v'"], ['01.2.3', 'no leading zeros'],
    ['1.2.3-', 'is not semver'], ['1.2.3-rc..1', 'is not semver'], ['1.2.x', 'is not semver'], ['latest', 'is not semver'],
    ['1.2.3 ', 'is not semver'], ['9999999999999999999.0.0', 'too large'], [`1.0.0-${'a'.repeat(80)}`, 'longer than 64'],
  ];
  for (const [text, why] of cases) {
    try {
      parseVersion(text);
      assert.unreachable(`'${text}' was accepted`);
    } catch (err) {
      assert.instance(err, SignError, text);
      assert.is((err as SignError).code, 'E_VERSION_INVALID');
      assert.match((err as Error).message, why, text);
      assert.match((err as Error).message, 'e.g. 1.4.0');
    }
  }
});

test.run();
