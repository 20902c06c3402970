/**
 * The baseline of `bench:idle-memory` (not a service): the smallest NestJS app on fastify, built
 * like the services (rspack bundle), answering `/readyz` so the bench can wait for it.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class HelloController {
  @Get('readyz')
  ready() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.HTTP_PORT), '127.0.0.1');
}

void main();
