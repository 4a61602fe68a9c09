import { memoryJournal } from '../../src/core/journal.js';
import { journalContract } from './journal-contract.js';

// The reference implementation passes the same contract as the durable journals.
journalContract('memoryJournal', { create: async () => memoryJournal() });
