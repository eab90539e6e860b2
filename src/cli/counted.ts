/** A count with its noun as the command line's English says it: "1 member", "0 members", "2 deliveries". */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
