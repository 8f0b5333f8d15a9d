import { createContext, ReactNode, useContext } from 'react';

const ReconnectingContext = createContext(false);

/**
 * Tells the actions below that the page has lost the backend and is reconnecting, so
 * they disable instead of failing one click at a time. Nested, it adds to the outer
 * page's state: either one reconnecting is enough.
 */
export const BackendStatusProvider = ({
  isReconnecting,
  children,
}: {
  isReconnecting: boolean;
  children: ReactNode;
}) => {
  const outer = useContext(ReconnectingContext);
  return (
    <ReconnectingContext.Provider value={outer || isReconnecting}>
      {children}
    </ReconnectingContext.Provider>
  );
};

/** Whether the page is waiting for the backend to answer again. */
export const useIsReconnecting = () => useContext(ReconnectingContext);
