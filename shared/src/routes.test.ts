import { describe, expect, it } from 'vitest';
import { endpoint, pathOf, RouteTable, Routes, type RouteName } from './routes';

describe('the route table', () => {
  it('gives a route module the method and URL of an entry, and refuses a method the entry lacks', () => {
    expect(endpoint('messages', 'PUT')).toEqual({ method: 'PUT', url: '/api/v1/messages' });
    // What the types forbid, an untyped caller meets at startup.
    expect(() => endpoint('info', 'DELETE' as 'GET')).toThrow('the route table has no DELETE for info');
  });

  it('keeps Routes as name -> path, and pathOf fills and encodes parameters', () => {
    for (const name of Object.keys(RouteTable) as RouteName[]) expect(Routes[name]).toBe(RouteTable[name].path);
    expect(pathOf('messagePart', { id: 'a/b', partId: '1.2' })).toBe('/api/v1/message/a%2Fb/part/1.2');
    expect(pathOf('viewHtml', { id: 'x y' })).toBe('/view/x%20y.html');
  });
});
