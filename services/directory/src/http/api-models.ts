import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// OpenAPI descriptions of the admin API's bodies and resources. Input is validated by the use
// cases (zod); these classes only document it.

/** `If-Match` as documented on every update and delete. */
export const IF_MATCH_HEADER = { name: 'If-Match', required: false, description: 'The ETag (version) last read; 412 if the resource changed since' };

export class ErrorBody {
  @ApiProperty({ example: { code: 'DIRECTORY.GROUP_NOT_FOUND', message: 'no group wiki-editors' } })
  error!: { code: string; message: string };
}

export class RegisterUserBody {
  @ApiProperty({ example: 'alice@example.com', description: 'The id is this address, lower-cased' }) email!: string;
  @ApiProperty({ example: 'Alice' }) name!: string;
}

export class UpdateUserBody {
  @ApiPropertyOptional({ example: 'Alice L.' }) name?: string;
  @ApiPropertyOptional({ description: 'true disables the user (refused everywhere), false enables' }) disabled?: boolean;
}

export class UserModel {
  @ApiProperty({ example: 'alice@example.com' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: [String], example: ['admins'] }) groups!: string[];
  @ApiProperty({ description: 'Stream version, also the ETag' }) version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateServiceAccountBody {
  @ApiProperty({ example: 'ci', description: 'Becomes svc:ci (lower-case letters, digits, dashes)' }) id!: string;
  @ApiProperty({ example: 'CI runner' }) name!: string;
}

export class ServiceAccountModel {
  @ApiProperty({ example: 'svc:ci' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) groups!: string[];
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
}

export class CreateGroupBody {
  @ApiProperty({ example: 'wiki-editors', description: 'A lower-case slug' }) id!: string;
  @ApiProperty({ example: 'Wiki editors' }) name!: string;
}

export class RenameGroupBody {
  @ApiProperty({ example: 'Wiki editors' }) name!: string;
}

/** One of `member` and `members`: several are added together, or none when one is refused. */
export class AddMemberBody {
  @ApiPropertyOptional({ example: 'alice@example.com', description: 'An e-mail (need not have logged in) or an existing svc: id' })
  member?: string;
  @ApiPropertyOptional({ type: [String], example: ['alice@example.com', 'svc:ci'], description: 'Several members, added all or none (instead of member)' })
  members?: string[];
}

export class GroupModel {
  @ApiProperty({ example: 'wiki-editors' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) members!: string[];
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class RuleSubjectsModel {
  @ApiPropertyOptional({ type: [String], example: ['alice@example.com'] }) users?: string[];
  @ApiPropertyOptional({ type: [String], example: ['wiki-editors'] }) groups?: string[];
}

export class RuleBody {
  @ApiPropertyOptional({ example: 'wiki-admin', description: 'Generated when absent (POST); letters, digits, - and _' }) id?: string;
  @ApiProperty({ example: 10, description: 'Lower is evaluated first; at equal priority deny, then public, then allow' }) priority!: number;
  @ApiProperty({ example: '*.example.com', description: 'An exact host or *.domain; case, port and trailing dot ignored' }) host!: string;
  @ApiPropertyOptional({ type: [String], example: ['/admin'], description: 'Path prefixes (whole segments); absent = every path' }) paths?: string[];
  @ApiPropertyOptional({ type: [String], example: ['GET'], description: 'Absent = every method' }) methods?: string[];
  @ApiProperty({ enum: ['allow', 'deny', 'public'] }) effect!: 'allow' | 'deny' | 'public';
  @ApiPropertyOptional({ type: RuleSubjectsModel, description: 'Absent: allow = any logged-in user, deny = everyone' }) subjects?: RuleSubjectsModel;
  @ApiPropertyOptional() ignoreCase?: boolean;
}

export class RuleModel extends RuleBody {
  @ApiProperty() declare id: string;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;
}

export class IssueTokenBody {
  @ApiProperty({ example: 'svc:ci', description: 'A user id or a svc: id that exists' }) principal!: string;
  @ApiProperty({ example: 'ci' }) name!: string;
  @ApiPropertyOptional({ nullable: true, description: 'ISO time; null = never expires; default 90 days' }) expiresAt?: string | null;
  @ApiPropertyOptional({ example: '30d', description: 'A lifetime instead of expiresAt' }) expiresIn?: string;
}

export class TokenModel {
  @ApiProperty() id!: string;
  @ApiProperty() principal!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty() version!: number;
}

export class IssuedTokenModel extends TokenModel {
  @ApiProperty({ description: 'The secret: shown this once, only its hash is kept' }) token!: string;
}
