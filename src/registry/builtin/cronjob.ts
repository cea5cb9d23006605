/**
 * batch/v1 CronJobs: served by the compute export so workspaces accept them (kubectl apply, explain,
 * diff), kept as sent beyond the fields typed here. TMC does not place them; a CronJob's Jobs
 * would run on a physical cluster.
 */
import type { ResourceDef } from '../types.js';
import { ageColumn, bool, builtinDef, col, computed, enumStr, int32, int64, opaque, partial, str } from './build.js';
import { labelSelectorSchema, objectMetaSchema, rootSchema } from './meta.js';
import { podTemplateSpecSchema } from './pod.js';
import { containerImages, containerNames, selectorString } from './print.js';

const jobSpec = partial('Specification of the desired behavior of the job.', {
  parallelism: int32('Specifies the maximum desired number of pods the job should run at any given time.'),
  completions: int32('Specifies the desired number of successfully finished pods the job should be run with.'),
  activeDeadlineSeconds: int64('Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.'),
  backoffLimit: int32('Specifies the number of retries before marking this job failed.'),
  selector: labelSelectorSchema('A label query over pods that should match the pod count.'),
  template: podTemplateSpecSchema,
  ttlSecondsAfterFinished: int32('ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution.'),
  completionMode: enumStr('completionMode specifies how Pod completions are tracked.', ['Indexed', 'NonIndexed']),
  suspend: bool('suspend specifies whether the Job controller should create Pods or not.'),
}, { required: ['template'] });

export function cronJobDef(): ResourceDef {
  return builtinDef({
    group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'],
    schema: rootSchema('CronJob represents the configuration of a single cron job.', {
      spec: partial('Specification of the desired behavior of a cron job, including the schedule.', {
        schedule: str('The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
        timeZone: str('The time zone name for the given schedule. If not specified, this will default to the time zone of the kube-controller-manager process.'),
        startingDeadlineSeconds: int64('Optional deadline in seconds for starting the job if it misses scheduled time for any reason.'),
        concurrencyPolicy: enumStr('Specifies how to treat concurrent executions of a Job. Defaults to Allow.', ['Allow', 'Forbid', 'Replace'], { default: 'Allow' }),
        suspend: bool('This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.', { default: false }),
        jobTemplate: partial('Specifies the job that will be created when executing a CronJob.', {
          metadata: objectMetaSchema,
          spec: jobSpec,
        }),
        successfulJobsHistoryLimit: int32('The number of successful finished jobs to retain. Defaults to 3.', { default: 3 }),
        failedJobsHistoryLimit: int32('The number of failed finished jobs to retain. Defaults to 1.', { default: 1 }),
      }, { required: ['schedule', 'jobTemplate'] }),
      status: partial('Current status of a cron job.', {
        active: { type: 'array', description: 'A list of pointers to currently running jobs.', items: opaque('ObjectReference contains enough information to let you inspect or modify the referred object.'), 'x-kubernetes-list-type': 'atomic' },
        lastScheduleTime: { type: 'string', format: 'date-time', description: 'Information when was the last time the job was successfully scheduled.' },
        lastSuccessfulTime: { type: 'string', format: 'date-time', description: 'Information when was the last time the job successfully completed.' },
      }),
    }),
    printerColumns: [
      computed('Schedule', 'string', (o) => o.spec?.schedule ?? ''),
      computed('Timezone', 'string', (o) => o.spec?.timeZone ?? '<none>'),
      computed('Suspend', 'boolean', (o) => !!o.spec?.suspend),
      computed('Active', 'integer', (o) => (o.status?.active ?? []).length),
      col('Last Schedule', 'date', '.status.lastScheduleTime'),
      ageColumn,
      computed('Containers', 'string', (o) => containerNames(o.spec?.jobTemplate ?? {}), { priority: 1 }),
      computed('Images', 'string', (o) => containerImages(o.spec?.jobTemplate ?? {}), { priority: 1 }),
      computed('Selector', 'string', (o) => selectorString(o.spec?.jobTemplate?.spec?.selector), { priority: 1 }),
    ],
    subresources: { status: true },
  });
}
