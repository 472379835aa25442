import { describe, expect, it } from 'vitest';
import { RouteMethods } from './route-methods.ts';

describe('RouteMethods', () => {
  const routes = new RouteMethods();
  routes.record('/api/status', 'GET');
  routes.record('/api/status', 'HEAD');
  routes.record('/api/hits/:hitId', ['GET', 'HEAD']);
  routes.record('/api/upstream/:shard/reconnect', 'POST');
  routes.record('/assets/*', 'GET');
  routes.record('/a.b', 'PROPFIND');

  it('lists the methods of the route a path matches, in Allow order', () => {
    expect(routes.allowed('/api/status')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/api/status?limit=1')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/api/st%61tus')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/api/hits/123-456')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/api/upstream/0/reconnect')).toEqual(['POST']);
    expect(routes.allowed('/assets/x/y.js')).toEqual(['GET']);
    expect(routes.allowed('/a.b')).toEqual(['PROPFIND']);
  });

  it('knows no other path', () => {
    for (const path of [
      '/api/status/',
      '/api/statuses',
      '/api/hits/',
      '/api/hits/a/b',
      '/api/upstream/0/reconnect/x',
      '/aXb',
      '/',
      '/api/hits/%zz/x',
    ]) {
      expect(routes.allowed(path), path).toBeUndefined();
    }
  });
});
