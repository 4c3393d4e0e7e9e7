/**
 * Runs in every test process before its test file (vitest `setupFiles`). Password hashes are
 * made at argon2's lowest cost: each test file creates and signs in many accounts, and at the
 * standard cost every hash and every log-in costs most of a second of a loaded core. What is
 * asserted about passwords (a hash verifies its password and no other) holds at any cost;
 * src/app/passwords.test.ts checks the standard cost itself.
 */
import { TEST_HASH_COST, usePasswordHashCost } from '../../src/app/passwords.js';

usePasswordHashCost(TEST_HASH_COST);
