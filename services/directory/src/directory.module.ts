import { directoryEvents } from '@gate/events';
import { EventStoreModule } from '@gate/eventstore';
import { MessagingModule } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { Module } from '@nestjs/common';
import { AssertionStrategy, assertionOptionsProvider } from '@gate/identity-assertion';
import { AdminAccessGuard } from './auth/admin-access.guard';
import { ApiTokenStrategy } from './auth/api-token.strategy';
import { CommandRunner } from './command-runner';
import { ExplainHttpController } from './explain/explain.http.controller';
import { ExplainService } from './explain/explain.service';
import { GroupsHttpController } from './groups/groups.http.controller';
import { GroupsService } from './groups/groups.service';
import { MeHttpController } from './principal/me.http.controller';
import { PrincipalMessageController } from './principal/principal.message.controller';
import { PrincipalService } from './principal/principal.service';
import { DirectoryReadModel } from './read-model/directory-read-model';
import { DirectoryProjection } from './read-model/directory.projection';
import { TokenReadModel } from './read-model/token-read-model';
import { Migration20261123100000DirectoryReadModel } from './read-model/Migration20261123100000DirectoryReadModel';
import { RulesHttpController } from './rules/rules.http.controller';
import { RulesService } from './rules/rules.service';
import { AdminSeed } from './seed/admin-seed';
import { ServiceAccountsHttpController } from './service-accounts/service-accounts.http.controller';
import { ServiceAccountsService } from './service-accounts/service-accounts.service';
import { TokensHttpController } from './tokens/tokens.http.controller';
import { TokensService } from './tokens/tokens.service';
import { TokensUsedMessageController } from './tokens/tokens-used.message.controller';
import { UsersHttpController } from './users/users.http.controller';
import { UsersService } from './users/users.service';

/**
 * The directory service: users, service accounts, groups, rules and API tokens as events in its
 * own schema (relayed to `auth.directory.>`), read models in Postgres, the REST admin API under
 * `/api/directory`, and NATS handlers (`directory.principal`, `directory.tokens-used`).
 */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'directory' }),
    MessagingModule.forService('directory'),
    EventStoreModule.forRoot({
      catalog: directoryEvents,
      migrations: [Migration20261123100000DirectoryReadModel],
      projections: [DirectoryProjection],
    }),
  ],
  controllers: [
    MeHttpController,
    UsersHttpController,
    ServiceAccountsHttpController,
    GroupsHttpController,
    RulesHttpController,
    TokensHttpController,
    ExplainHttpController,
    PrincipalMessageController,
    TokensUsedMessageController,
  ],
  providers: [
    CommandRunner,
    DirectoryReadModel,
    TokenReadModel,
    ApiTokenStrategy,
    assertionOptionsProvider,
    AssertionStrategy,
    AdminAccessGuard,
    UsersService,
    ServiceAccountsService,
    GroupsService,
    RulesService,
    TokensService,
    ExplainService,
    PrincipalService,
    AdminSeed,
  ],
})
export class DirectoryModule {}
