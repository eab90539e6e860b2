/** The site event writer thread's entry point (see sqlite-site-event-thread.ts). */
import { serveSiteEventWrites } from './sqlite-site-event-thread.ts';

serveSiteEventWrites();
