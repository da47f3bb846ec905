import { type PropsWithChildren, useEffect } from 'react';
import './app.scss';
import './elder/elder.scss';
import { installKeyboardActivation } from './components/a11y';
import { labelNavigationBar } from './components/navigation-bar';
import { refreshElderProfile } from './session/session';

/** The app shell: pages render themselves inside <Page>, which applies elder mode. */
function App({ children }: PropsWithChildren) {
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5') {
      labelNavigationBar();
      installKeyboardActivation();
    }
    // Elder mode chosen on another phone, or a birthday past 80, counts from the first page.
    void refreshElderProfile();
  }, []);
  return children;
}

export default App;
