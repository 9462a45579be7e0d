export { scheduleDepsOf, type ScheduleDeps } from './schedule-deps';
export { findSchedule } from './find-schedule';
export {
  createSchedule,
  deleteSchedule,
  setSchedulePaused,
  triggerSchedule,
  updateSchedule,
  validateScheduleSpec,
} from './write-schedule';
export {
  getSchedule,
  listSchedules,
  type RetrainRunSummary,
  type ScheduleOverview,
} from './schedule-queries';
