/**
 * The medium tests of what spans the services (decision 0046), one jest file (decision 0061): the topic
 * table against what the services produce and consume, the admin lists' paging by code, traces in the
 * embedded layout, and its outbox relay woken at commit. Each case (`*.medium-cases.ts`, a top-level
 * describe) starts its own platform.
 */
import './topic-table.medium-cases';
import '../../libs/platform/src/code-page.medium-cases';
import '../../apps/embedded/src/tracing.medium-cases';
import '../../apps/embedded/src/relay-at-commit.medium-cases';
