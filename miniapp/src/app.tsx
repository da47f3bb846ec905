import type { PropsWithChildren } from 'react';
import './app.scss';
import './elder/elder.scss';

/** The app shell: pages render themselves inside <Page>, which applies elder mode. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
