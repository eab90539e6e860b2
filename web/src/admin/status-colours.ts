/**
 * Badge colours for states, dark enough for small bold text on white (WCAG AA 4.5:1): the library's
 * darkest green (#2b8a3e, 4.4:1) and orange (#d9480f, 4.3:1) are not.
 */
export const GOOD = '#1e6b30';
export const WARN = '#9c3a06';
export const BAD = 'red.9';
export const OFF = 'gray.8';
