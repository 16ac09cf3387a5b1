import { useEffect, useState } from 'preact/hooks';

// Screens live in the address's fragment (#/sessions/<id>, #/providers, …): goosed serves one page
// at `/`, the back button works, and a reload lands on the same screen.
export type Route =
  | { screen: 'home' }
  | { screen: 'session'; id: string }
  | { screen: 'providers' }
  | { screen: 'extensions' }
  | { screen: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'sessions' && parts[1]) return { screen: 'session', id: parts[1] };
  if (parts[0] === 'providers') return { screen: 'providers' };
  if (parts[0] === 'extensions') return { screen: 'extensions' };
  if (parts[0] === 'settings') return { screen: 'settings' };
  return { screen: 'home' };
}

export function hrefOf(route: Route): string {
  return route.screen === 'session' ? `#/sessions/${encodeURIComponent(route.id)}` : route.screen === 'home' ? '#/' : `#/${route.screen}`;
}

export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
