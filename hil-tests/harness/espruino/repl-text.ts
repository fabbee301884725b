/**
 * What Espruino's console prints, as text: the boot banner, and the pieces of terminal control
 * its line editor sends. All from src/jsinteractive.c (jsiSemiInit, jsiConsolePrintString,
 * jsiConsoleRemoveInputLine, jsiCountBracketsInInput).
 */

/** jsiConsolePrintString turns every "\n" into "\r\n". */
export function consoleText(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

/** Boards whose banner leaves out the request for donations (the #if in jsiSemiInit). */
const OFFICIAL_BOARDS = ['PICO', 'ESPRUINOBOARD', 'ESPRUINOWIFI', 'PUCKJS', 'PIXLJS', 'BANGLEJS'];

/**
 * The banner jsiSemiInit prints when echo is on and no saved state was loaded: after power-on,
 * reset(), E.reboot(), a watchdog reset and load(file) — not after a bare load(). The year is
 * the one in the jsinteractive.c this was read from; releases move it, so match the version,
 * not the year. The "\n" after it is jsiSemiInit's own; the ">" prompt follows from the idle loop.
 */
export function bannerText(version: string, board: string): string {
  const official = OFFICIAL_BOARDS.some((b) => board.startsWith(b));
  return consoleText(
    '\x1b[?7l' + // stop the terminal wrapping long lines
      '\n' +
      ' ____                 _ \n' +
      '|  __|___ ___ ___ _ _|_|___ ___ \n' +
      '|  __|_ -| . |  _| | | |   | . |\n' +
      '|____|___|  _|_| |___|_|_|_|___|\n' +
      '         |_| espruino.com\n' +
      ` ${version} (c) 2021 G.Williams\n` +
      (official ? '' : '\nEspruino is Open Source. Our work is supported\nonly by sales of official boards and donations:\nhttp://espruino.com/Donate\n') +
      '\n',
  );
}

/**
 * What jsiConsoleRemoveInputLine sends to wipe the shown input line: the cursor back to the
 * start of the line (it sits at the end: the fake has no cursor keys), "\r" past the prompt,
 * then ESC [ J to clear to the end of the screen.
 */
export function eraseLine(line: string): string {
  const rows = line.split('\n');
  const col = rows[rows.length - 1]!.length; // columns to the left of the cursor
  return '\x1b[D'.repeat(col) + '\x1b[A'.repeat(rows.length - 1) + '\r\x1b[J';
}

/** The prompt and the input line, as jsiConsoleReturnInputLine shows them (":" starts each continuation line). */
export function promptText(line: string): string {
  return '>' + line.replace(/\n/g, '\r\n:');
}

/**
 * jsiCountBracketsInInput: open minus closed brackets outside strings and comments. An
 * unfinished string counts 0 (run it now, so it errors); an unfinished comment or template
 * literal counts 1000 (we are in the middle of something). The fake's lexer knows strings,
 * template literals and comments, not regular expression literals: a bracket inside a /regex/
 * is counted, where Espruino's lexer would skip it.
 */
export function countBrackets(src: string): number {
  let brackets = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
      if (i >= src.length) return 0;
      i++;
    } else if (c === '`') {
      i++;
      while (i < src.length && src[i] !== '`') i += src[i] === '\\' ? 2 : 1;
      if (i >= src.length) return 1000;
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return 1000;
      i = end + 2;
    } else {
      if (c === '{' || c === '[' || c === '(') brackets++;
      if (c === '}' || c === ']' || c === ')') brackets--;
      if (brackets < 0) return brackets; // a closing bracket before its opening one
      i++;
    }
  }
  return brackets;
}
