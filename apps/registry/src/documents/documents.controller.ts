import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { ACCESS_RECORDER, AccessRecorder, RecordsAccess } from '@credit/messaging';
import { uuidParam } from '@credit/platform';
import { DocumentQueries } from './document.queries';

const uuid = uuidParam('id');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The documents served on a subject (两书同达): read by the subject, the owning department and supervisors. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('v1')
export class DocumentsController {
  constructor(
    private readonly queries: DocumentQueries,
    @Inject(ACCESS_RECORDER) private readonly access: AccessRecorder,
  ) {}

  @RecordsAccess()
  @Get('list-entries/:id/documents')
  @Roles('subject', 'initiator', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.queries.onEntry(principal, id);
  }

  /** The file itself (DOCX); 409 while it is still being generated. */
  @Get('documents/:id')
  @Roles('subject', 'initiator', 'supervisor')
  @ApiProduces(DOCX)
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Res() reply: FastifyReply,
  ) {
    const { document, entry } = await this.queries.issued(principal, id);
    this.access.recordRead(principal, 'GET /v1/documents/:id', [entry.subjectId]);
    const filename = `${document.title}-${entry.decisionDocumentNo}.docx`;
    void reply
      .header('content-type', DOCX)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
      .header('x-content-sha256', document.sha256 ?? '')
      .send(document.content);
  }
}
