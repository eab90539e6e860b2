/** The SQLite writer thread's entry point (see sqlite-bulk-writer.ts): serves the batches its parent posts. */
import { serveBulkWrites } from './sqlite-bulk-writer.ts';

serveBulkWrites();
