/** A count as a reader of a report writes it: 1,000,024, not 1000024. The sentences the API writes use it; years are not counts. */
export const thousands = (x: number) => x.toLocaleString("en-US");
