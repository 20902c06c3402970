import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminApi } from '../auth/admin-access.guard';
import { DirectoryExceptionFilter } from './directory-exception.filter';
import { EtagInterceptor } from './etag.interceptor';

/** Every admin API route lives under this prefix. */
export const API_PREFIX = 'api/directory';

/**
 * A controller of the admin API at `/api/directory/<path>`: admin-only (see `AdminAccessGuard`),
 * errors mapped once by `DirectoryExceptionFilter`, `ETag` set from the resource's version.
 */
export const DirectoryApiController = (path: string, tag: string) =>
  applyDecorators(
    Controller(path ? `${API_PREFIX}/${path}` : API_PREFIX),
    ApiTags(tag),
    AdminApi(),
    UseFilters(DirectoryExceptionFilter),
    UseInterceptors(EtagInterceptor),
  );
