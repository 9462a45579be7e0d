import { router } from '../../trpc';
import { create } from './create';
import { get } from './get';
import { list } from './list';
import { pause } from './pause';
import { remove } from './remove';
import { resume } from './resume';
import { trigger } from './trigger';
import { update } from './update';

export const scheduleRouter = router({ list, get, create, update, remove, pause, resume, trigger });
