/** The karmada release this CLI is compatible with; the default image tag of every karmada component. */
export const KARMADA_VERSION = 'v1.18.2';
