/** Settings, the native folder picker and external links. */
import { z } from 'zod';
import { SettingsSchema } from './state';

export const SettingsSetArgs = SettingsSchema.partial();

export const PickFolderArgs = z.strictObject({
  title: z.string().max(200).optional(),
  defaultPath: z.string().optional(),
});

export const OpenExternalArgs = z.strictObject({
  url: z
    .string()
    .max(4000)
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'only http and https links open'),
});

export const Empty = z.strictObject({});
