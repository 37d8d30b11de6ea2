import type { CliFlag, CommandSpec } from './spec';
import { versionCommand } from './version';
import { explainCommand } from './explain';
import { completionCommand } from './completion';
import { initCommand } from './init';
import { addonsCommand, deinitCommand } from './addons';
import { registerCommand, tokenCommand, unregisterCommand } from './registration';
import { getCommand } from './get';
import { applyCommand } from './apply';
import { createCommand } from './create';
import { editCommand } from './edit';
import { apiResourcesCommand, apiVersionsCommand } from './api-resources';
import { certsCommand } from './certs';
import { deleteCommand } from './delete';
import { labelCommand } from './label';
import { annotateCommand } from './annotate';
import { patchCommand } from './patch';
import { logsCommand } from './logs';
import { interpretCommand } from './interpret';
import { promoteCommand } from './promote';
import { execCommand } from './exec';
import { attachCommand } from './attach';
import { topCommand } from './top';
import { cordonCommand, joinCommand, taintCommand, uncordonCommand, unjoinCommand } from './clusters';

/** Global flags (klog's verbosity is the one that matters; the rest of klog's flags are not carried). */
export const GLOBAL_FLAGS: CliFlag[] = [
  { name: 'v', shorthand: 'v', type: 'int', default: 0, usage: 'number for the log level verbosity (6: every API request; 8: request bodies, with secrets redacted)' },
];

/**
 * The command tree. Command modules are light: flags, help text and a run() that lazily imports
 * its domain module, so `--help` and `version` never load @kubernetes/client-node.
 */
export const rootSpec: CommandSpec = {
  name: 'karmadactl',
  short: '{{program}} controls a Kubernetes Cluster Federation.',
  long: '{{program}} controls a Kubernetes Cluster Federation.',
  children: [explainCommand, getCommand, createCommand, applyCommand, deleteCommand, editCommand, patchCommand, labelCommand, annotateCommand, initCommand, deinitCommand, addonsCommand, joinCommand, unjoinCommand, tokenCommand, registerCommand, unregisterCommand, certsCommand, cordonCommand, uncordonCommand, taintCommand, logsCommand, promoteCommand, interpretCommand, topCommand, attachCommand, execCommand, completionCommand, apiResourcesCommand, apiVersionsCommand, versionCommand],
};
