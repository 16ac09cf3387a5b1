import { useEffect, useState } from 'preact/hooks';
import { ChatScreen } from './chat/chat-screen.js';
import { HomeScreen } from './home-screen.js';
import { KeyScreen } from './key-screen.js';
import { Announcer } from './lib/announce.js';
import { onKeyNeeded } from './lib/api.js';
import { MenuIcon } from './lib/icons.js';
import { useRoute, type Route } from './lib/route.js';
import { useMenu } from './lib/use-menu.js';
import { SessionSidebar } from './sessions/session-sidebar.js';
import { ExtensionsScreen } from './settings/extensions-screen.js';
import { ProvidersScreen } from './settings/providers-screen.js';
import { SettingsScreen } from './settings/settings-screen.js';

export function App() {
  const route = useRoute();
  const menu = useMenu(route);
  const [needKey, setNeedKey] = useState(false);
  // Bumped when a key is entered: every screen loads again with it.
  const [keyVersion, setKeyVersion] = useState(0);
  useEffect(() => onKeyNeeded(() => setNeedKey(true)), []);

  if (needKey) {
    return (
      <KeyScreen
        onSaved={() => {
          setNeedKey(false);
          setKeyVersion((version) => version + 1);
        }}
      />
    );
  }
  return (
    <div class={menu.open ? 'shell menu-open' : 'shell'}>
      <a class="skip" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      {/* Shown on narrow screens only (styles.css), where the list is a menu over the screen. */}
      <header class="topbar">
        <button
          type="button"
          ref={menu.button}
          class="button small menu-button"
          aria-expanded={menu.open}
          aria-controls="sidebar"
          onClick={() => menu.setOpen(!menu.open)}
        >
          <MenuIcon />
          Menu
        </button>
        <a href="#/" class="brand-link">
          <img src="/favicon.svg" alt="" width="22" height="22" />
          goosed
        </a>
      </header>
      <SessionSidebar route={route} keyVersion={keyVersion} panel={menu.panel} />
      <div class="backdrop" onClick={() => menu.setOpen(false)} />
      <main id="main" tabIndex={-1}>
        <Screen route={route} keyVersion={keyVersion} />
      </main>
      <Announcer />
    </div>
  );
}

function Screen({ route, keyVersion }: { route: Route; keyVersion: number }) {
  switch (route.screen) {
    case 'session':
      return <ChatScreen key={route.id} sessionId={route.id} keyVersion={keyVersion} />;
    case 'providers':
      return <ProvidersScreen keyVersion={keyVersion} />;
    case 'extensions':
      return <ExtensionsScreen keyVersion={keyVersion} />;
    case 'settings':
      return <SettingsScreen keyVersion={keyVersion} />;
    case 'home':
      return <HomeScreen keyVersion={keyVersion} />;
  }
}
