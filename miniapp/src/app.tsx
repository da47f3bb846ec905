import { type PropsWithChildren, useEffect } from 'react';
import './app.scss';
import './elder/elder.scss';
import { labelNavigationBar } from './components/navigation-bar';

/** The app shell: pages render themselves inside <Page>, which applies elder mode. */
function App({ children }: PropsWithChildren) {
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5') labelNavigationBar();
  }, []);
  return children;
}

export default App;
