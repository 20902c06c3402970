import { Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { ExplainService } from './explain.service';

/** `GET /api/directory/explain?principal=&method=&url=`: which rule decides, by verify's engine. */
@DirectoryApiController('explain', 'explain')
export class ExplainHttpController {
  constructor(@Inject(ExplainService) private readonly explainer: ExplainService) {}

  @Get()
  @ApiQuery({ name: 'url', example: 'https://wiki.example.com/admin' })
  @ApiQuery({ name: 'method', required: false, example: 'GET' })
  @ApiQuery({ name: 'principal', required: false, example: 'alice@example.com', description: 'Absent: an anonymous visitor' })
  @ApiOkResponse({ description: 'decision {outcome, reason, rule}, the rules that matched (in order, which applied, which decided) and those that did not' })
  explain(@Query() query: Record<string, string>) {
    return this.explainer.explain(query);
  }
}
