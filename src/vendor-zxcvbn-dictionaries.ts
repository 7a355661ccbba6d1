// Bundled as dist/vendor/zxcvbn-dictionaries.cjs: the zxcvbn-ts word lists (MIT).
import { dictionary as common } from '@zxcvbn-ts/language-common';
import { dictionary as en } from '@zxcvbn-ts/language-en';

export const dictionary: Record<string, string[]> = { ...common, ...en } as Record<string, string[]>;
