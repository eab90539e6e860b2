/** The upkeep thread's entry point (see upkeep-thread.ts). */
import { serveUpkeepJobs } from './upkeep-thread.ts';

await serveUpkeepJobs();
