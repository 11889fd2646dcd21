import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceConfig } from '@credit/platform';

export class RegistryConfig extends ServiceConfig {
  override PORT = 3001;

  /** How often the expiry job ends entries whose period is over (ms; 0 turns it off). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  LIST_ENTRY_EXPIRY_INTERVAL_MS = 60_000;

  /** A USCC whose embedded organization code fails its check: `flag` (accept, mark the subject) or `reject`. */
  /**
   * Days after an entry's end until its personal data is anonymised, per information class (decision
   * 0021); 1826 (five years) by default. `RETENTION_INTERVAL_MS` is how often the job runs (0: never).
   */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  RETENTION_A_DAYS = 1826;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  RETENTION_B_DAYS = 1826;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  RETENTION_C_DAYS = 1826;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  RETENTION_INTERVAL_MS = 3_600_000;

  /** How many days before now a notice may be dated (never before the entry was created). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365)
  NOTICE_MAX_BACKDATE_DAYS = 7;

  @IsIn(['flag', 'reject'])
  SUBJECT_ORG_CODE_CHECK: 'flag' | 'reject' = 'flag';

  /**
   * 公示 (issue 14): how long a public answer is served from memory (at most a minute: an ended entry
   * disappears within it) and how many are kept; how often the publication feed is sequenced; how long
   * an external platform has to acknowledge a withdrawal before reconciliation shows it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  PUBLIC_CACHE_TTL_MS = 20_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  PUBLIC_CACHE_MAX_ENTRIES = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  PUBLICATION_FEED_SEQUENCE_INTERVAL_MS = 250;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  PUBLICATION_ACK_GRACE_MS = 900_000;

  /**
   * 区域联合奖惩 (decision 0035): our region code and platform name as partner regions know them, and the
   * Ed25519 key (PKCS#8 PEM; `\n` may stand for line breaks) our outbound documents are signed with,
   * under EXCHANGE_KEY_ID. Without a key the development key signs — except where NODE_ENV is production: there nothing is
   * signed and the outbound pull answers 503.
   */
  @Matches(/^\d{6}$/, { message: 'EXCHANGE_REGION must be a six-digit region code' })
  EXCHANGE_REGION = '330100';

  @IsString()
  EXCHANGE_PLATFORM = '信用杭州';

  @IsOptional()
  @IsString()
  EXCHANGE_KEY_ID?: string;

  @IsOptional()
  @IsString()
  EXCHANGE_SIGNING_KEY?: string;
}

/** The exchange settings of the registry's configuration (decision 0035). */
export function exchangeFromConfig(config: RegistryConfig) {
  return {
    region: config.EXCHANGE_REGION,
    platform: config.EXCHANGE_PLATFORM,
    keyId: config.EXCHANGE_KEY_ID,
    signingKeyPem: config.EXCHANGE_SIGNING_KEY,
    production: config.NODE_ENV === 'production',
  };
}

/** The publication settings of the registry's configuration (issue 14). */
export function publicationFromConfig(config: RegistryConfig) {
  return {
    cacheTtlMs: config.PUBLIC_CACHE_TTL_MS,
    cacheMaxEntries: config.PUBLIC_CACHE_MAX_ENTRIES,
    feedSequenceIntervalMs: config.PUBLICATION_FEED_SEQUENCE_INTERVAL_MS,
    ackGraceMs: config.PUBLICATION_ACK_GRACE_MS,
  };
}

/** The retention settings of the registry's configuration (decision 0021). */
export function retentionFromConfig(config: RegistryConfig) {
  return {
    days: { A: config.RETENTION_A_DAYS, B: config.RETENTION_B_DAYS, C: config.RETENTION_C_DAYS },
    intervalMs: config.RETENTION_INTERVAL_MS,
  };
}
