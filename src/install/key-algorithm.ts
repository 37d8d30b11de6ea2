/** Private key algorithm of the generated PKI: RSA-3072 (the reference's) or ECDSA P-256 (`--key-algorithm ecdsa-p256`). */
export const KEY_ALGORITHMS = ['rsa-3072', 'ecdsa-p256'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
